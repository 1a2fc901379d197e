// Width and height of the terminal, updated on resize (Ink 6 has no hook for it).
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface TerminalSize {
  width: number;
  height: number;
}

function read(stdout: NodeJS.WriteStream): TerminalSize {
  return { width: stdout.columns || 80, height: stdout.rows || 24 };
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => read(stdout));
  useEffect(() => {
    const onResize = () => {
      const next = read(stdout);
      setSize((prev) => (prev.width === next.width && prev.height === next.height ? prev : next));
    };
    onResize(); // the size may have changed between the first render and now
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
