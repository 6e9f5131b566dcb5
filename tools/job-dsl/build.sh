#!/bin/sh
# Builds the Job DSL engine (job-dsl-ast + job-dsl-core from src/, and runner/JobDslCheck.groovy)
# with Debian's groovyc into a cache, and prints the jar's path. No binary is kept in git: the jar
# is rebuilt when the sources change, keyed by their content hash, into .cache/job-dsl/ at the
# repository's root (git-ignored; TDR_CACHE_DIR moves it).
#   build.sh            the jar's path on stdout (built first if the cache has none)
# Needs Debian: groovy libxstream-java libxmlunit-java libaccess-modifier-checker-java. About 20 s
# on a quiet 2-core machine, once.
set -eu
D=$(cd "$(dirname "$0")" && pwd)
J=/usr/share/java
for f in groovy-all.jar xstream.jar xmlunit.jar access-modifier-annotation.jar; do
  [ -f "$J/$f" ] || {
    echo "job-dsl build: $J/$f is missing: apt-get install -y groovy libxstream-java libxmlunit-java libaccess-modifier-checker-java" >&2
    exit 2
  }
done
# Debian's groovyc looks for /usr/lib/jvm/default-java unless JAVA_HOME says otherwise; a machine with
# only a versioned JRE (openjdk-17) has none, so take the java on PATH.
if [ -z "${JAVA_HOME:-}" ] && [ ! -d /usr/lib/jvm/default-java ] && command -v java >/dev/null 2>&1; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  export JAVA_HOME
fi
CACHE=${TDR_CACHE_DIR:-$(cd "$D/../.." && pwd)/.cache}/job-dsl
# The key covers everything the jar is made of: sources, runner, this script, and groovyc's version.
key=$(cd "$D" && {
  find src runner build.sh -type f | LC_ALL=C sort | xargs sha256sum
  groovyc --version 2>&1
} | sha256sum | cut -c1-16)
jar="$CACHE/$key/job-dsl-offline.jar"
if [ -f "$jar" ]; then
  echo "$jar"
  exit 0
fi
mkdir -p "$CACHE"
B=$(mktemp -d "$CACHE/.build.XXXXXX")
trap 'rm -rf "$B"' EXIT
echo "job-dsl build: compiling the engine from tools/job-dsl/src with groovyc into $CACHE/$key (once)" >&2
mkdir -p "$B/ast" "$B/core" "$B/runner" "$B/out"
groovyc -cp "$J/groovy-all.jar" -d "$B/ast" $(find "$D/src/job-dsl-ast/src/main/groovy" -name '*.groovy') >&2
cp -r "$D/src/job-dsl-ast/src/main/resources/"* "$B/ast/"
groovyc -j -cp "$J/groovy-all.jar:$J/xstream.jar:$J/xmlunit.jar:$J/access-modifier-annotation.jar:$B/ast" -d "$B/core" \
  $(find "$D/src/job-dsl-core/src/main/groovy" "$D/src/job-dsl-core/src/main/java" -name '*.groovy' -o -name '*.java') >&2
cp -r "$D/src/job-dsl-core/src/main/resources/"* "$B/core/"
groovyc -cp "$J/groovy-all.jar:$B/core" -d "$B/runner" "$D/runner/JobDslCheck.groovy" >&2
(cd "$B" && python3 -c "
import os, zipfile
with zipfile.ZipFile('out/job-dsl-offline.jar', 'w', zipfile.ZIP_DEFLATED) as z:
    for r in ('ast', 'core', 'runner'):
        for d, _, fs in os.walk(r):
            for f in sorted(fs):
                z.write(os.path.join(d, f), os.path.relpath(os.path.join(d, f), r))
")
# Renamed into place whole: a parallel build that finished first keeps its (identical) jar.
mv -T "$B/out" "$CACHE/$key" 2>/dev/null || [ -f "$jar" ]
# Jars of older sources are never used again.
find "$CACHE" -mindepth 1 -maxdepth 1 -type d ! -name "$key" ! -name '.build.*' -exec rm -rf {} +
echo "$jar"
