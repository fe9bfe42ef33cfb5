// Completes package-lock.json with the platform-specific optional packages that the
// registry reachable from our machines does not serve (for example macOS and Windows
// builds of native addons). npm install leaves them out when their manifests 404, and
// `npm ci` then refuses the lockfile as out of sync. Each stub names its os/cpu, so npm
// skips it on every other platform exactly as it would the real entry.
// Runs as the root `postinstall`, so the lockfile is complete after any `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = new URL('../package-lock.json', import.meta.url);
const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = ['arm64', 'x64', 'arm', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'wasm32'];

const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const packages = lock.packages ?? {};
let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[base] || packages[`node_modules/${name}`]) continue;
    const tokens = name.split('/').pop().split('-');
    const os = tokens.find((token) => OS.includes(token));
    const cpu = tokens.find((token) => CPU.includes(token));
    const libc =
      tokens.includes('musl') || tokens.includes('musleabihf')
        ? 'musl'
        : tokens.includes('gnu') || tokens.includes('gnueabihf')
          ? 'glibc'
          : undefined;
    packages[`node_modules/${name}`] = {
      version: version.replace(/^[\^~=]/, ''),
      optional: true,
      ...(os ? { os: [os] } : {}),
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(libc ? { libc: [libc] } : {}),
    };
    added++;
  }
}
if (added > 0) {
  writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
  process.stdout.write(`complete-lockfile: added ${added} platform-specific optional entries\n`);
}
