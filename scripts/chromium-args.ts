// The flags Debian's Chromium runs with here (tests, benchmarks, screenshots): no sandbox (root),
// no GPU, and none of the background traffic that would flood a closed network.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
