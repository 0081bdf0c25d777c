import { Flags } from '@oclif/core';

/** `-o` for the one-cluster commands: the plan, outcome or run list as a table, JSON or YAML. */
export const outputFlag = (summary: string, options: string[] = ['table', 'json', 'yaml']) =>
  Flags.string({ char: 'o', summary, options, default: 'table', helpGroup: 'GLOBAL' });
