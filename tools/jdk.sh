# Finds a JDK >= 21 and exports JAVA_HOME. Sourced by ./ferry and .ci/run.
# Order: $JAVA_HOME, then the usual install locations (newest first), or the directories listed in
# $FERRY_JDK_DIRS (space-separated globs) instead of those.

ferry_jdk_major() { # JDK_HOME -> major version, from its release file
  local release="$1/release" version
  [ -x "$1/bin/java" ] && [ -f "$release" ] || return 1
  version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  [ -n "$version" ] && echo "$version"
}

ferry_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && major=$(ferry_jdk_major "$JAVA_HOME") && [ "$major" -ge 21 ]; then
    return 0
  fi
  local dirs="${FERRY_JDK_DIRS:-/usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/jdk* /usr/java/* $HOME/.sdkman/candidates/java/* $HOME/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home}"
  # shellcheck disable=SC2086 # the list is globs, expanded here on purpose
  for candidate in $dirs; do
    [ -d "$candidate" ] || continue
    major=$(ferry_jdk_major "$candidate") || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "ferry needs a JDK 21 or newer and found none." >&2
    echo "Looked at \$JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm, /opt/java, ~/.sdkman, ~/.jdks." >&2
    echo "Install one (for example: apt-get install openjdk-21-jdk) or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
