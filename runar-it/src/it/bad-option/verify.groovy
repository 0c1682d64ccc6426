def log = new File(basedir, 'build.log').text
assert log.contains('Runar generator failed')
assert log.contains("greeter/greeter.proto:8:3: greeter.Greeter: (runar.service).path 'greeter//v1' is not a valid path: segment 2 of 3 is empty")
assert log.contains('e.g. "greeter", "greeter/v1" or "rooms/{room}"')
assert log.contains("greeter/greeter.proto:13:3: greeter.Hello: (runar.event).topic '' is not a valid topic: it is empty")
assert !new File(basedir, 'target/generated-sources/runar/greeter').exists()
return true
