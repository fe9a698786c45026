# Sourced by ./mvnw and ./vigil: points JAVA_HOME at a JDK 25 or newer.
# Order: an existing JAVA_HOME that is already 25+, then JDKs under /usr/lib/jvm (Debian and
# Temurin packages install there), then `java` on the PATH. Fails with a clear message otherwise.
vigil_java_major() {
  # prints the feature version of the JDK at $1 (e.g. 25), or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
  fi
}
vigil_find_jdk() {
  # ./mvnw runs with `set -f`; the search below needs globbing.
  case $- in *f*) set +f; vigil_find_jdk_core; vigil_rc=$?; set -f; return $vigil_rc ;; esac
  vigil_find_jdk_core
}
vigil_find_jdk_core() {
  if [ -n "${JAVA_HOME-}" ] && [ "$(vigil_java_major "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
    return 0
  fi
  for candidate in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25-* /usr/lib/jvm/*25* /usr/lib/jvm/* /opt/java/* ; do
    if [ -d "$candidate" ] && [ "$(vigil_java_major "$candidate")" -ge 25 ] 2>/dev/null; then
      JAVA_HOME="$candidate"; export JAVA_HOME; return 0
    fi
  done
  if command -v java >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    if [ "$(vigil_java_major "$candidate")" -ge 25 ] 2>/dev/null; then
      JAVA_HOME="$candidate"; export JAVA_HOME; return 0
    fi
  fi
  echo "vigil: no JDK 25 or newer found (looked at JAVA_HOME, /usr/lib/jvm, /opt/java, PATH)." >&2
  echo "vigil: install one, e.g. 'apt-get install temurin-25-jdk', or set JAVA_HOME." >&2
  return 1
}
vigil_find_jdk
