def log = new File(basedir, 'build.log').text
def target = new File(basedir, 'target')

// Both outputs are there, each in its own directory, and both compiled.
assert new File(target, 'generated-sources/runar-a/com/example/alpha/NamerRunar.java').isFile()
assert new File(target, 'generated-sources/runar-a/com/example/alpha/Name.java').isFile()
assert new File(target, 'generated-sources/runar-b/com/example/beta/LabelerRunar.java').isFile()
assert new File(target, 'generated-sources/runar-b/com/example/beta/Label.java').isFile()
assert new File(target, 'classes/com/example/alpha/NamerRunar.class').isFile()
assert new File(target, 'classes/com/example/beta/LabelerRunar.class').isFile()
// Each execution keeps its own state.
assert new File(target, 'runar-protoc/main/a/fingerprint').isFile()
assert new File(target, 'runar-protoc/main/b/fingerprint').isFile()

// First build: each execution generates once. Second build: both up to date, nothing recompiled.
assert log.count('Generated 1 Runar sources from 1 .proto files') == 2
assert log.count('Runar sources are up to date (1 .proto files)') == 2
def compiles = log.findAll(/Compiling \d+ source files?/)
assert compiles.size() == 1 : "compiled ${compiles.size()} times: ${compiles}"
assert log.contains('Nothing to compile - all classes are up to date')
return true
