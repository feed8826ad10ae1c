#!/usr/bin/env bash
# Temporal's time-skipping test server on the machine's JDK, for tests that use
# TestWorkflowEnvironment.createTimeSkipping with executable { type: 'existing-path', path: <this file> }.
# The SDK calls it as: test-server.sh <port> [extra args].
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"

require_java "Temporal's test server"
libs="$LOCAL_DIR/temporal-test-server/libs"
maven_copy_deps "$INFRA_DIR/temporal/test-server/pom.xml" "$libs" >&2 ||
  fail "could not resolve io.temporal:temporal-test-server from Maven Central"
exec java -Xmx512m -cp "$libs/*" io.temporal.testserver.TestServer "$@"
