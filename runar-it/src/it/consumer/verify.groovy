// The consumer's own test ran and passed (Surefire is pinned: an unpinned one would run none).
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.shop.InventoryServiceTest.xml')
assert report.isFile() : 'the consumer test did not run'
def suite = new groovy.xml.XmlSlurper().parse(report)
assert suite.@tests.toString() == '1' && suite.@failures.toString() == '0' && suite.@errors.toString() == '0'
return true
