// What the earlier plugin left: its fingerprint and a generated file from a since-deleted proto.
def stamp = new File(basedir, 'target/runar-protoc/main/fingerprint')
stamp.parentFile.mkdirs()
stamp.text = 'legacy'
def old = new File(basedir, 'target/generated-sources/runar/gone/GoneRunar.java')
old.parentFile.mkdirs()
old.text = 'package gone; final class GoneRunar {}'
return true
