def log = new File(basedir, 'build.log').text
assert log.contains("runar:generate (execution 'b') and runar:generate (execution 'a') both write to")
assert log.contains('give one of them another <outputDirectory>')
// The first execution's output is there; the second wrote nothing over it.
assert new File(basedir, 'target/generated-sources/protos/a/AOuterClass.java').isFile()
assert !new File(basedir, 'target/generated-sources/protos/b').exists()
return true
