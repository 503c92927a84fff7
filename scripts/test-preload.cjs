// Loaded into every spec file's process by scripts/test.sh (`node --require`). Node's test runner runs each spec
// file in a child process that streams its results to the runner over its stdout, a pipe, which is non-blocking on
// Linux. With --test-force-exit the child can exit with results still buffered, and the runner then reports fewer
// tests than ran, the last ones of a file gone without a trace (nodejs/node#64833; the fix proposed there,
// nodejs/node#64875, does this). Blocking writes are never left behind.
if (process.env.NODE_TEST_CONTEXT !== undefined) process.stdout._handle?.setBlocking?.(true);
