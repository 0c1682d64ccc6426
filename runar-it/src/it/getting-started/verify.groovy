import java.util.concurrent.TimeUnit

// The guide's test ran (Surefire pinned: a JUnit 5 test that does not run would say tests="0").
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.greeter.GreeterServiceTest.xml')
assert report.isFile() : 'the guide test did not run'
def suite = new groovy.xml.XmlSlurper().parse(report)
assert suite.@tests.toString() == '1' && suite.@failures.toString() == '0' && suite.@errors.toString() == '0'

// The guide's two programs, in two processes, as a reader runs them.
def classpath = new File(basedir, 'target/classes').path + File.pathSeparator +
    new File(basedir, 'target/classpath.txt').text.trim()
def java = new File(System.getProperty('java.home'), 'bin/java').path
def start = { String mainClass, String... jvmOptions ->
  new ProcessBuilder([java, *jvmOptions, '-cp', classpath, mainClass]).directory(basedir).redirectErrorStream(true).start()
}

// With no server, the client gives up after its bounded wait, saying why, with status 1.
def lonely = start('com.example.greeter.GreeterClient', '-Dgreeter.waitSeconds=2')
def lonelyOut = new StringBuffer()
def lonelyReader = Thread.start { lonely.inputStream.eachLine { lonelyOut.append(it).append('\n') } }
assert lonely.waitFor(60, TimeUnit.SECONDS) : "the client without a server hung:\n${lonelyOut}"
lonelyReader.join(5000)
assert lonely.exitValue() == 1 : "exit ${lonely.exitValue()}:\n${lonelyOut}"
assert lonelyOut.toString().contains('No answer from a greeter within 2 s') : lonelyOut
assert lonelyOut.toString().contains('Is GreeterServer running') : lonelyOut
println "getting-started: without a server the client said: ${lonelyOut.toString().trim()}"
def server = start('com.example.greeter.GreeterServer')
def serverOut = new StringBuffer()
def serverReader = Thread.start { server.inputStream.eachLine { serverOut.append(it).append('\n') } }
try {
  long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
  while (!serverOut.toString().contains('is serving') && System.nanoTime() < until && server.isAlive()) {
    Thread.sleep(100)
  }
  assert serverOut.toString().contains('is serving') : "the server did not start:\n${serverOut}"

  def client = start('com.example.greeter.GreeterClient')
  def clientOut = new StringBuffer()
  def clientReader = Thread.start { client.inputStream.eachLine { clientOut.append(it).append('\n') } }
  assert client.waitFor(60, TimeUnit.SECONDS) : "the client hung:\n${clientOut}"
  clientReader.join(5000)
  assert client.exitValue() == 0 : "the client failed:\n${clientOut}\nserver:\n${serverOut}"
  assert clientOut.toString().contains('Hello, Ada') : clientOut
  println "getting-started: the client printed: ${clientOut.toString().trim()}"
} finally {
  server.destroy()
  if (!server.waitFor(10, TimeUnit.SECONDS)) {
    server.destroyForcibly()
    server.waitFor(10, TimeUnit.SECONDS)
  }
  serverReader.join(5000)
}
return true
