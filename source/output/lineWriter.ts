// Lines to a stream that may break: a reader that went away (`| head`, EPIPE)
// or a terminal that hung up (EIO) is a request to stop, not a crash.
export function lineWriter(stream: NodeJS.WriteStream, onBroken: () => void): (line: string) => void {
  let broken = false;
  const breakOnce = () => {
    if (broken) return;
    broken = true;
    onBroken();
  };
  stream.on('error', breakOnce);
  return (line) => {
    if (broken) return;
    try {
      stream.write(`${line}\n`);
    } catch {
      breakOnce();
    }
  };
}
