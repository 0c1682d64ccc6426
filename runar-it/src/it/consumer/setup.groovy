// The pom names a literal Runar version, so that it can be copied as it is; the test builds it
// with the version of the reactor it belongs to.
def pom = new File(basedir, 'pom.xml')
def text = pom.getText('UTF-8')
assert text.contains('<runar.version>')
pom.setText(text.replaceFirst(/<runar.version>[^<]*<\/runar.version>/, "<runar.version>${runarVersion}</runar.version>"), 'UTF-8')
return true
