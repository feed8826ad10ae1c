# SeaweedFS (master + volume + filer + S3 gateway in one `weed server`), the S3-compatible object store evidence
# content can live in. Built from source with Go. Sourced by infra.sh.
#
# Why not `go install`: SeaweedFS's go.mod has a `replace` directive (go-bip39), which `go install module@version`
# refuses. So the module's source is fetched with `go mod download` and built as the main module, which honours it.

SEAWEEDFS_S3_PORT="${ATTEST_S3_PORT:-8333}"
SEAWEEDFS_MASTER_PORT="${ATTEST_SEAWEEDFS_MASTER_PORT:-9333}"
SEAWEEDFS_VOLUME_PORT="${ATTEST_SEAWEEDFS_VOLUME_PORT:-8080}"
SEAWEEDFS_FILER_PORT="${ATTEST_SEAWEEDFS_FILER_PORT:-8888}"
SEAWEEDFS_BUCKET="${ATTEST_S3_BUCKET:-attest-evidence}"
# SeaweedFS ignores the region; the SDK signs with it, so clients and the readiness probe must agree on one.
SEAWEEDFS_REGION="us-east-1"
SEAWEEDFS_HOME="$LOCAL_DIR/seaweedfs"
SEAWEEDFS_DATA="$SEAWEEDFS_HOME/data"
SEAWEEDFS_BIN="$LOCAL_DIR/bin/weed"
SEAWEEDFS_STAMP="$LOCAL_DIR/bin/weed.version"
# Access key and secret for the project's clients (tests, the evidence service), generated once, never committed.
SEAWEEDFS_CREDENTIALS="$SEAWEEDFS_HOME/credentials.json"
# The same credentials in SeaweedFS's own identity format, derived from the file above on every start.
SEAWEEDFS_S3_CONFIG="$SEAWEEDFS_HOME/s3-identities.json"

seaweedfs_install() {
  if [[ -x "$SEAWEEDFS_BIN" && "$(cat "$SEAWEEDFS_STAMP" 2>/dev/null)" == "$SEAWEEDFS_VERSION" ]]; then
    return 0
  fi
  require_cmd go "install Go 1.26.6 or newer (https://go.dev/doc/install)"
  local module="github.com/seaweedfs/seaweedfs@$SEAWEEDFS_VERSION" dir
  say "seaweedfs: downloading $module from the Go module proxy (first run only)..."
  dir="$(go mod download -json "$module" | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const m = JSON.parse(s);
      if (m.Error || !m.Dir) { console.error(m.Error || "no Dir in go mod download output"); process.exit(1); }
      console.log(m.Dir);
    });')" || fail "seaweedfs: go mod download $module failed (is the Go module proxy reachable?)"
  # The module cache is read-only; the build writes nothing into the tree, but go refuses some read-only layouts
  # and a private copy keeps the cache pristine.
  local src="$SEAWEEDFS_HOME/src"
  rm -rf "$src"
  mkdir -p "$SEAWEEDFS_HOME" "$LOCAL_DIR/bin"
  cp -R "$dir" "$src"
  chmod -R u+w "$src"
  say "seaweedfs: building weed $SEAWEEDFS_VERSION (first run only; about 5 minutes on 2 cores)..."
  (cd "$src" && GOFLAGS=-buildvcs=false go build -o "$SEAWEEDFS_BIN.partial" ./weed) >"$SEAWEEDFS_HOME/build.log" 2>&1 ||
    fail "seaweedfs: go build failed; see $SEAWEEDFS_HOME/build.log"
  mv "$SEAWEEDFS_BIN.partial" "$SEAWEEDFS_BIN"
  rm -rf "$src"
  echo "$SEAWEEDFS_VERSION" >"$SEAWEEDFS_STAMP"
  say "seaweedfs: built $("$SEAWEEDFS_BIN" version 2>/dev/null | head -1)"
}

seaweedfs_configure() {
  mkdir -p "$SEAWEEDFS_DATA"
  node -e '
    const fs = require("node:fs");
    const crypto = require("node:crypto");
    const [file, identities, endpoint, bucket, region] = process.argv.slice(1);
    let c;
    try {
      c = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
      c = {
        accessKeyId: "attest" + crypto.randomBytes(6).toString("hex"),
        secretAccessKey: crypto.randomBytes(24).toString("base64url"),
      };
    }
    Object.assign(c, { endpoint, bucket, region });
    fs.writeFileSync(file, JSON.stringify(c, null, 2) + "\n", { mode: 0o600 });
    const config = { identities: [{ name: "attest", credentials: [{ accessKey: c.accessKeyId, secretKey: c.secretAccessKey }],
      actions: ["Admin", "Read", "List", "Tagging", "Write"] }] };
    fs.writeFileSync(identities, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
  ' "$SEAWEEDFS_CREDENTIALS" "$SEAWEEDFS_S3_CONFIG" "http://127.0.0.1:$SEAWEEDFS_S3_PORT" "$SEAWEEDFS_BUCKET" \
    "$SEAWEEDFS_REGION"
}

# curl signs with AWS Signature V4 itself, so readiness and bucket creation need no SDK and no second tool.
seaweedfs_s3() {
  local method="$1" path="$2" creds
  creds="$(node -e 'const c = require(process.argv[1]); console.log(`${c.accessKeyId}:${c.secretAccessKey}`)' "$SEAWEEDFS_CREDENTIALS")"
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X "$method" --aws-sigv4 "aws:amz:$SEAWEEDFS_REGION:s3" \
    --user "$creds" "http://127.0.0.1:$SEAWEEDFS_S3_PORT$path"
}

# Ready when an authenticated ListBuckets succeeds: the gateway is up AND has loaded our identities.
seaweedfs_ready() {
  [[ "$(seaweedfs_s3 GET /)" == 200 ]]
}

seaweedfs_ensure_bucket() {
  [[ "$(seaweedfs_s3 HEAD "/$SEAWEEDFS_BUCKET")" == 200 ]] && return 0
  local code
  code="$(seaweedfs_s3 PUT "/$SEAWEEDFS_BUCKET")"
  [[ "$code" == 200 ]] || fail "seaweedfs: creating bucket $SEAWEEDFS_BUCKET answered HTTP $code"
  say "seaweedfs: created bucket $SEAWEEDFS_BUCKET"
}

seaweedfs_up() {
  if running_pid seaweedfs >/dev/null; then
    say "seaweedfs: already up, S3 on 127.0.0.1:$SEAWEEDFS_S3_PORT"
    return 0
  fi
  seaweedfs_install
  local port
  for port in "$SEAWEEDFS_S3_PORT" "$SEAWEEDFS_MASTER_PORT" "$SEAWEEDFS_VOLUME_PORT" "$SEAWEEDFS_FILER_PORT"; do
    ensure_port_free "$port" seaweedfs
    # Each SeaweedFS server also listens for gRPC on its port + 10000.
    ensure_port_free "$((port + 10000))" "seaweedfs gRPC"
  done
  seaweedfs_configure
  say "seaweedfs: starting weed server, S3 on 127.0.0.1:$SEAWEEDFS_S3_PORT (log: $SEAWEEDFS_HOME/server.log)"
  # Small volumes (100 MiB each) keep a developer machine's disk use proportional to what is stored. The S3
  # gateway's Iceberg and Lance catalog servers are not used and would take two more ports.
  setsid nohup "$SEAWEEDFS_BIN" server -dir="$SEAWEEDFS_DATA" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -master.port="$SEAWEEDFS_MASTER_PORT" -master.volumeSizeLimitMB=100 \
    -volume.port="$SEAWEEDFS_VOLUME_PORT" -volume.max=100 \
    -filer -filer.port="$SEAWEEDFS_FILER_PORT" \
    -s3 -s3.port="$SEAWEEDFS_S3_PORT" -s3.config="$SEAWEEDFS_S3_CONFIG" -s3.port.iceberg=0 -s3.port.lance=0 \
    >"$SEAWEEDFS_HOME/server.log" 2>&1 </dev/null &
  echo $! >"$(pid_file seaweedfs)"
  wait_until 60 seaweedfs seaweedfs_ready || fail "seaweedfs: S3 not answering after 60s; see $SEAWEEDFS_HOME/server.log"
  seaweedfs_ensure_bucket
  say "seaweedfs: ready (credentials: $SEAWEEDFS_CREDENTIALS)"
}

seaweedfs_down() {
  # stop_pid waits 30 s after SIGTERM, then SIGKILLs: weed does not always exit on SIGTERM.
  running_pid seaweedfs >/dev/null && say "seaweedfs: stopping"
  stop_pid seaweedfs
}

seaweedfs_status() {
  if running_pid seaweedfs >/dev/null && seaweedfs_ready; then
    echo "seaweedfs   127.0.0.1:$SEAWEEDFS_S3_PORT   up     (S3, bucket $SEAWEEDFS_BUCKET)"
  else
    echo "seaweedfs   127.0.0.1:$SEAWEEDFS_S3_PORT   down"
    return 1
  fi
}

seaweedfs_logs() { echo "$SEAWEEDFS_HOME/server.log"; }
