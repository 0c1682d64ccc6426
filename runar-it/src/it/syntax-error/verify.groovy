def log = new File(basedir, 'build.log').text
assert log.contains('protoc failed')
assert log =~ /broken\.proto:7:\d+/
return true
