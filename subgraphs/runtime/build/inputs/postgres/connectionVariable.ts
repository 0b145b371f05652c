/** The environment variable that holds an input's connection URL (deployment configuration, never the descriptor's text). */
export const connectionVariable = (source: string): string => `MESHGATE_INPUT_${source.toUpperCase().replaceAll('-', '_')}_URL`;
