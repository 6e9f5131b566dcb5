#!/bin/sh
# Runs a Job DSL script through the real Job DSL engine (job-dsl-core, standalone mode), offline.
#   check-seed.sh [--allow m1,m2,...] [--lenient] [--workspace DIR] SEED.groovy OUTDIR
# Writes each generated item's config.xml under OUTDIR. Exit 0 ok; 1 the engine rejected the script
# (its message is printed); 3 only methods that job-dsl-core does not know were found (plugin
# "dynamic DSL" methods that real Jenkins resolves from installed plugins) and they are not all in
# --allow; 2 the engine could not be built or a Debian package is missing.
# The engine is built from src/ on first use (build.sh, cached).
D=$(cd "$(dirname "$0")" && pwd)
J=/usr/share/java
for f in groovy-all.jar xstream.jar xmlunit.jar xpp3.jar access-modifier-annotation.jar; do
  [ -f "$J/$f" ] || {
    echo "check-seed: $J/$f is missing: apt-get install -y groovy libxstream-java libxmlunit-java libaccess-modifier-checker-java" >&2
    exit 2
  }
done
jar=$("$D/build.sh") || {
  echo "check-seed: building the Job DSL engine failed (tools/job-dsl/build.sh)" >&2
  exit 2
}
# JAVA_OPTS, if set, goes to java (the test sets quick-start flags: test/jenkins-jobdsl.test.ts).
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags, split on spaces as groovy's own scripts do
exec java ${JAVA_OPTS:-} -cp "$J/groovy-all.jar:$J/xstream.jar:$J/xmlunit.jar:$J/xpp3.jar:$J/access-modifier-annotation.jar:$jar" JobDslCheck "$@"
