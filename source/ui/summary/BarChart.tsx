import React from 'react';
import { Box, Text } from 'ink';
import { formatNumber } from '../../state/format.js';
import { bar, cell } from '../text.js';
import { tone } from '../theme.js';

export interface BarDatum {
  label: string;
  value: number | null;
}

/** One line per datum: label, a bar of unicode blocks scaled to the largest value, the value (n/a when missing). */
export function barChartLines(data: BarDatum[], width: number): string[] {
  const labelW = Math.min(28, Math.max(6, ...data.map((d) => d.label.length)));
  const valueW = 10;
  const barW = Math.max(1, width - labelW - valueW - 4);
  const max = Math.max(0, ...data.map((d) => d.value ?? 0));
  return data.map((d) => {
    const b = d.value === null ? cell('', barW) : bar(max > 0 ? d.value / max : 0, barW);
    return `${cell(d.label, labelW)} ${b} ${cell(formatNumber(d.value), valueW, 'right')}`;
  });
}

export function BarChart({ data, width, color }: { data: BarDatum[]; width: number; color: boolean }) {
  return (
    <Box flexDirection="column" width={width}>
      {barChartLines(data, width).map((line, i) => (
        <Text key={i} wrap="truncate" color={tone(color, 'info')}>
          {line}
        </Text>
      ))}
    </Box>
  );
}
