# Apache Kafka in KRaft mode, one node, from Maven Central jars run on the machine's JDK. Sourced by infra.sh.

KAFKA_PORT="${ATTEST_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${ATTEST_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HOME="$LOCAL_DIR/kafka"
KAFKA_LIBS="$KAFKA_HOME/libs-$KAFKA_VERSION"
KAFKA_DATA="$KAFKA_HOME/data"
KAFKA_LOGS="$KAFKA_HOME/logs"
KAFKA_CONF="$KAFKA_HOME/server.properties"

kafka_install() {
  require_java "Kafka $KAFKA_VERSION"
  [[ -f "$KAFKA_LIBS/.complete" ]] && return 0
  say "kafka: resolving kafka_2.13 $KAFKA_VERSION and its dependencies from Maven Central (first run only)..."
  maven_copy_deps "$INFRA_DIR/kafka/pom.xml" "$KAFKA_LIBS" -Dkafka.version="$KAFKA_VERSION" ||
    fail "kafka: Maven could not resolve kafka_2.13 $KAFKA_VERSION (is Maven Central reachable?)"
  say "kafka: $(ls "$KAFKA_LIBS" | wc -l) jars in $KAFKA_LIBS"
}

KAFKA_JAVA=(java -Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true
  -Dlog4j2.configurationFile="$INFRA_DIR/kafka/log4j2.properties" -Dkafka.logs.dir="$KAFKA_LOGS"
  -cp "$KAFKA_LIBS/*")

kafka_configure() {
  mkdir -p "$KAFKA_DATA" "$KAFKA_LOGS"
  sed -e "s#@LOG_DIRS@#$KAFKA_DATA#" -e "s#@PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" \
    "$INFRA_DIR/kafka/server.properties.template" >"$KAFKA_CONF"
  if [[ ! -f "$KAFKA_DATA/meta.properties" ]]; then
    say "kafka: formatting storage in $KAFKA_DATA"
    local cluster_id
    cluster_id="$("${KAFKA_JAVA[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
    "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$KAFKA_CONF" >>"$KAFKA_LOGS/format.log" 2>&1 ||
      fail "kafka: formatting storage failed; see $KAFKA_LOGS/format.log"
  fi
}

kafka_ready() {
  node "$INFRA_DIR/kafka/kafka-ready.cjs" "127.0.0.1:$KAFKA_PORT"
}

kafka_up() {
  if running_pid kafka >/dev/null; then
    say "kafka: already up on 127.0.0.1:$KAFKA_PORT"
    return 0
  fi
  kafka_install
  ensure_port_free "$KAFKA_PORT" kafka
  ensure_port_free "$KAFKA_CONTROLLER_PORT" "kafka controller"
  kafka_configure
  say "kafka: starting broker $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (log: $KAFKA_LOGS/server.log)"
  setsid nohup "${KAFKA_JAVA[@]}" kafka.Kafka "$KAFKA_CONF" >"$KAFKA_LOGS/console.log" 2>&1 </dev/null &
  echo $! >"$(pid_file kafka)"
  if ! wait_until 120 "kafka" kafka_ready; then
    fail "kafka: not ready after 120s; see $KAFKA_LOGS/server.log and $KAFKA_LOGS/console.log"
  fi
  say "kafka: ready"
}

kafka_down() {
  running_pid kafka >/dev/null && say "kafka: stopping"
  stop_pid kafka
}

kafka_status() {
  if running_pid kafka >/dev/null && kafka_ready; then
    echo "kafka       127.0.0.1:$KAFKA_PORT   up     (KRaft, Kafka $KAFKA_VERSION)"
  else
    echo "kafka       127.0.0.1:$KAFKA_PORT   down"
    return 1
  fi
}

kafka_logs() { echo "$KAFKA_LOGS/server.log"; }
