import React from 'react';
import { Box, Text } from 'ink';
import type { CampaignState } from '../../state/types.js';
import { tone } from '../theme.js';

export interface LogPaneProps {
  log: CampaignState['log'];
  /** "0005 pytorch_bs4 (cycle 2)" or null when nothing runs. */
  label: string | null;
  /** Absolute number of the last line to show; null follows the end. */
  logEnd: number | null;
  width: number;
  /** Lines of output (the title line comes on top). */
  rows: number;
  color: boolean;
}

/** Tabs and stray control characters would break the cell widths. */
function clean(line: string): string {
  return line.replace(/\t/g, '  ').replace(/[\u0000-\u001f\u007f]/g, '');
}

/** The lines to show: the last `rows` (following) or those ending at `logEnd` (scrolled back). */
export function visibleLog(log: CampaignState['log'], logEnd: number | null, rows: number): string[] {
  const total = log.dropped + log.lines.length;
  const end = logEnd === null || logEnd > total ? total : Math.max(logEnd, log.dropped);
  const endIdx = end - log.dropped;
  return log.lines.slice(Math.max(0, endIdx - rows), endIdx);
}

export function LogPane({ log, label, logEnd, width, rows, color }: LogPaneProps) {
  const lines = visibleLog(log, logEnd, rows);
  const total = log.dropped + log.lines.length;
  const following = logEnd === null || logEnd >= total;
  const title = [
    `Log${label ? `: ${label}` : ''}`,
    following ? 'following' : 'scrolled back (End follows)',
    log.dropped > 0 ? `${log.dropped} earlier lines not kept` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Box flexDirection="column" width={width} height={rows + 1}>
      <Text wrap="truncate" color={tone(color, 'accent')} bold>
        {title}
      </Text>
      {lines.length === 0 ? (
        <Text color={tone(color, 'muted')}>{rows > 0 ? '(no output yet)' : ''}</Text>
      ) : (
        lines.map((l, i) => (
          <Text key={i} wrap="truncate">
            {clean(l) || ' '}
          </Text>
        ))
      )}
    </Box>
  );
}
