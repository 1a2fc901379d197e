// A yes/no question asked before the campaign starts ("An earlier run of this
// campaign exists (3/8 completed). Resume it?"): the question, its default in
// capitals, and the keys. Shown over every other screen while state.question is set.
import React from 'react';
import { Box, Text } from 'ink';
import type { CampaignState, Question } from '../../state/types.js';
import { KeyBar } from '../KeyBar.js';
import { tone } from '../theme.js';
import { truncate, wrapWords } from '../text.js';

export interface QuestionScreenProps {
  state: CampaignState;
  question: Question;
  width: number;
  height: number;
  color: boolean;
  /** y, n, Enter or a quit key was pressed; waiting for what comes next. */
  answered: boolean;
}

/** "[Y/n]" when Enter answers yes, "[y/N]" when it answers no. */
export function answerHint(defaultYes: boolean): string {
  return defaultYes ? '[Y/n]' : '[y/N]';
}

/** The question and its answers in lines of `width` columns; cut to `rows`, the last line still ends with the answers. */
export function questionLines(question: Question, width: number, rows: number): string[] {
  const hint = answerHint(question.defaultYes);
  const columns = Math.max(10, width);
  const lines = wrapWords(`${question.text} ${hint}`, columns);
  if (lines.length <= rows) return lines;
  const kept = lines.slice(0, Math.max(1, rows));
  const last = kept.length - 1;
  kept[last] = `${truncate(`${kept[last]!}…`, columns - hint.length - 1)} ${hint}`;
  return kept;
}

export function QuestionScreen({ state, question, width, height, color, answered }: QuestionScreenProps) {
  const m = state.meta;
  // Title, blank, the question, blank, the default line, key bar; the blanks go first when it is short.
  const spaced = height >= 6;
  const lines = questionLines(question, width, Math.max(1, height - (spaced ? 5 : 3)));
  const blank = spaced ? <Text> </Text> : null;
  const muted = tone(color, 'muted');
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        <Text color={tone(color, 'accent')}>lem-tui</Text> {m ? `${m.campaignName} (${m.campaignId})` : ''}
      </Text>
      {blank}
      {lines.map((line, i) => (
        <Text key={i} bold wrap="truncate" color={answered ? muted : undefined}>
          {line}
        </Text>
      ))}
      {blank}
      <Text wrap="truncate" color={muted}>
        {answered ? 'Answered: waiting…' : `Enter answers ${question.defaultYes ? 'yes' : 'no'} (the default)`}
      </Text>
      <KeyBar scope="question" width={width} color={color} />
    </Box>
  );
}
