#!/usr/bin/env bash
set -euo pipefail

# Compiles and lints infra/ with the Bicep CLI from NuGet (tools/Bicep restores it) and fails on
# any error or warning, from the compiler or the linter (rules: infra/bicepconfig.json).
# Needs nothing from the internet: infra/ uses no registry modules, so Bicep restores nothing.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

tools_project=tools/Bicep/Bicep.csproj
package=azure.bicep.commandline.linux-x64
version="$(sed -n 's/.*PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="\[\([^]]*\)\]".*/\1/p' "$tools_project")"
if [[ -z "$version" ]]; then
  echo "infra: cannot read the Bicep CLI version from $tools_project" >&2
  exit 1
fi
if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  echo "infra: the Bicep CLI package used here is linux-x64; this machine is $(uname -s)-$(uname -m)" >&2
  exit 1
fi

if ! restore_log="$(dotnet restore "$tools_project" 2>&1)"; then
  printf '%s\n' "$restore_log" >&2
  echo "infra: could not restore the Bicep CLI ($package $version)" >&2
  exit 1
fi

packages="${NUGET_PACKAGES:-}"
if [[ -z "$packages" ]]; then
  packages="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')"
fi
bicep="${packages%/}/$package/$version/tools/bicep"
if [[ ! -f "$bicep" ]]; then
  echo "infra: restored, but no Bicep CLI at $bicep" >&2
  exit 1
fi
[[ -x "$bicep" ]] || chmod +x "$bicep"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Every parameter the azd parameter file sets must exist in main.bicep.
missing=0
for name in $(grep -o '^    "[A-Za-z0-9_]*": {' infra/main.parameters.json | tr -d ' ":{'); do
  if ! grep -q "^param $name " infra/main.bicep; then
    echo "infra/main.parameters.json: parameter '$name' is not declared in infra/main.bicep" >&2
    missing=$((missing + 1))
  fi
done

# Bicep exits 0 on warnings, so the diagnostics it prints are what decide. A time limit keeps
# CI from hanging should a future Bicep try the network.
status=0
timeout 120 "$bicep" build infra/main.bicep --outdir "$work" >"$work/build.log" 2>&1 || status=1
timeout 120 "$bicep" lint infra/main.bicep >"$work/lint.log" 2>&1 || status=1

# Build and lint both report the compiler's diagnostics; each is counted once.
sort -u "$work/build.log" "$work/lint.log" >"$work/diagnostics.log"
errors="$(grep -c ') : Error ' "$work/diagnostics.log" || true)"
warnings="$(grep -c ') : Warning ' "$work/diagnostics.log" || true)"
errors=$((errors + missing))

if [[ "$status" -ne 0 || "$errors" -ne 0 || "$warnings" -ne 0 ]]; then
  sed "s#$root/##" "$work/diagnostics.log" >&2
  echo "infra: bicep build + lint FAILED ($errors errors, $warnings warnings)" >&2
  exit 1
fi
if [[ ! -s "$work/main.json" ]]; then
  echo "infra: bicep build produced no infra/main.json" >&2
  exit 1
fi

echo "infra: bicep build + lint clean ($errors errors, $warnings warnings)"
