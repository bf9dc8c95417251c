/** Progress on stderr: one line redrawn on a terminal, a line per step (at most every second) otherwise. */
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  let lastLine = 0;
  return (done: number, total: number) => {
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    const line = `${label}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} posts (${pct}%) ${((Date.now() - started) / 1000).toFixed(1)} s`;
    if (stream.isTTY) {
      stream.write(`\r${line}${done >= total ? '\n' : ''}`);
    } else if (done >= total || Date.now() - lastLine >= 1000) {
      stream.write(`${line}\n`);
      lastLine = Date.now();
    }
  };
}
