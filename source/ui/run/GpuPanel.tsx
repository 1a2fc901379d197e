import React from 'react';
import { Box, Text } from 'ink';
import type { ExperimentView, GpuTelemetryState } from '../../state/types.js';
import { tone } from '../theme.js';
import { gpuStaleForMs } from '../../state/gpuReducer.js';
import { gpuLine, gpuStatusLine, powerScale, staleMark, throttleMark } from './gpuLines.js';

export interface GpuPanelProps {
  telemetry: GpuTelemetryState;
  width: number;
  /** Lines it may use (runLayout's gpuRows). */
  rows: number;
  color: boolean;
  /** The experiment running on each GPU (gpuTies), with --gpus; null: the panel as without. */
  ties?: Map<number, ExperimentView> | null;
  /** The state's clock, to tell a stale reading from a live one. */
  now: number;
}

/** Host GPUs, one line each (power, last minute of power, memory, utilisation, temperature; marked stale when old), or one status line. */
export function GpuPanel({ telemetry, width, rows, color, ties, now }: GpuPanelProps) {
  if (telemetry.status === 'off' || rows <= 0) return null;
  const status = gpuStatusLine(telemetry);
  if (status)
    return (
      <Text wrap="truncate" color={tone(color, status.warn ? 'warn' : 'muted')}>
        {status.text}
      </Text>
    );
  const gpus = telemetry.gpus;
  // Too many GPUs for the room: the last line says how many are left out.
  const shown = gpus.length > rows ? gpus.slice(0, rows - 1) : gpus;
  const hidden = gpus.length - shown.length;
  const scale = powerScale(gpus);
  // Readings nvidia-smi has not renewed: shown, but marked stale in place of the throttle mark (which is as old).
  const staleMs = gpuStaleForMs(telemetry, now);
  return (
    <Box flexDirection="column" width={width}>
      {shown.map((g) => {
        const line = ties ? gpuLine(g, width, scale, { tagged: true, on: ties.get(g.index) }) : gpuLine(g, width, scale);
        return (
          <Text key={g.index} wrap="truncate">
            {line.text}
            {staleMs !== null ? (
              <Text color={tone(color, 'warn')}>{' ' + staleMark(staleMs, width >= 80)}</Text>
            ) : line.throttled ? (
              <Text color={tone(color, 'warn')}>{' ' + throttleMark(width >= 80)}</Text>
            ) : null}
          </Text>
        );
      })}
      {hidden > 0 ? (
        <Text wrap="truncate" color={tone(color, 'muted')}>
          {`… ${hidden} more GPU${hidden === 1 ? '' : 's'}`}
        </Text>
      ) : null}
    </Box>
  );
}
