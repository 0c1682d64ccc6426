def log = new File(basedir, 'build.log').text
assert log.contains('Runar sources are up to date (1 .proto files)')
assert new File(basedir, 'target/generated-sources/runar/ping/PingerRunar.java').isFile()
assert new File(basedir, 'target/generated-sources/runar/ping/PingOuterClass.java').isFile()
return true
