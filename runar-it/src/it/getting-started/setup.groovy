// Writes every fenced block of docs/getting-started.md that follows a <!-- file: PATH --> marker
// to PATH in this project, exactly as a reader would copy it; only runar.version becomes the
// reactor's. (docsDirectory and runarVersion come from runar-it's pom.)
def guide = new File(docsDirectory, 'getting-started.md').getText('UTF-8')
def blocks = (guide =~ /(?s)<!-- file: (\S+) -->\s*```[a-z]*\n(.*?)\n```/).collect { [it[1], it[2]] }
assert blocks.size() >= 7 : "expected the pom, the proto and five Java files; found ${blocks*.get(0)}"
new File(basedir, 'pom.xml').delete()
blocks.each { path, body ->
  def file = new File(basedir, path)
  assert !file.exists() : "${path} is marked twice in the guide"
  file.parentFile.mkdirs()
  if (path == 'pom.xml') {
    assert body.contains('<runar.version>') : 'the guide pom names no runar.version'
    body = body.replaceFirst(/<runar.version>[^<]*<\/runar.version>/, "<runar.version>${runarVersion}</runar.version>")
  }
  file.setText(body + '\n', 'UTF-8')
  println "getting-started: wrote ${path}"
}
return true
