def log = new File(basedir, 'build.log').text
assert log.contains('did not generate: com/example/Hand.java')
assert log.contains('Nothing was changed')
def hand = new File(basedir, 'src/main/java/com/example/Hand.java')
assert hand.isFile()
assert hand.text.contains('Written by hand')
// Nothing generated next to it either.
assert !new File(basedir, 'src/main/java/ping').exists()
return true
