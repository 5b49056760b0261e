// Node flags of every web process (npm start's cluster workers, `npm run web`, the load bench).
// The V8 heap is capped: on a machine with plenty of memory V8 lets a busy server's heap grow
// far beyond what it keeps alive before collecting (10M bench at ~2,000 registrations/s: 594 MB
// RSS uncapped, 283 MB capped at 256 MB, at a few percent more CPU) — SPEC §7 asks for < 500 MB.
export const WEB_NODE_FLAGS = ["--max-old-space-size=320"];
