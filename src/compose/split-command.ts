export type CommandLine =
  /** `dropped`: the text from an unquoted `;`, `&`, `|`, `<` or `>` on, which Compose leaves out of the command. */
  { ok: true; words: string[]; dropped?: string } | { ok: false; message: string };

const invalid: CommandLine = {
  ok: false,
  message: 'invalid command line: an unclosed quote, a trailing "\\" or an unbalanced "(" / ")"',
};

/**
 * Splits a Compose string `command`/`entrypoint` into argv as Compose does (its shell-words reader, no expansion):
 * words split on spaces, tabs and newlines; `'...'` keeps everything literally; `"..."` and a bare `\` escape the next
 * character; `` `...` `` and `$(...)` stay as written (with their spaces). Compose is no shell: an unquoted `;`, `&`,
 * `|`, `<` or `>` ends the command there (what follows is not run), and an unclosed quote is an error.
 */
export function readCommandLine(text: string): CommandLine {
  const words: string[] = [];
  let word = '';
  /** 'none' between words; 'word' once a character (or a closed quote: `""` is a word) belongs to one. */
  let state: 'none' | 'word' = 'none';
  let escaped = false;
  let single = false;
  let double = false;
  let backtick = false;
  let dollar = false;
  const chars = [...text];
  /** Where the current word began in `chars`: after the last unquoted blank. */
  let wordStart = 0;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (escaped) {
      word += ch;
      escaped = false;
      state = 'word';
      continue;
    }
    if (ch === '\\') {
      if (single) word += ch;
      else escaped = true;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      if (single || double || backtick || dollar) word += ch;
      else {
        if (state === 'word') words.push(word);
        word = '';
        state = 'none';
        wordStart = i + 1;
      }
      continue;
    }
    const bare = !single && !double && !backtick && !dollar;
    if (ch === '`' && !single && !double && !dollar) backtick = !backtick;
    else if (ch === ')' && !single && !double && !backtick) dollar = !dollar;
    else if (ch === '(' && !single && !double && !backtick) {
      if (dollar || !word.endsWith('$')) return invalid;
      dollar = true;
      word += ch;
      continue;
    } else if (ch === '"' && !single && !dollar) {
      if (double) state = 'word';
      double = !double;
      continue;
    } else if (ch === "'" && !double && !dollar) {
      if (single) state = 'word';
      single = !single;
      continue;
    } else if (bare && ';&|<>'.includes(ch)) {
      // `2>file`: a word starting with a digit before `>` (a descriptor) is left out with the redirection.
      const descriptor = ch === '>' && /^\d/.test(word);
      if (state === 'word' && !descriptor) words.push(word);
      return { ok: true, words, dropped: chars.slice(descriptor ? wordStart : i).join('') };
    }
    word += ch;
    state = 'word';
  }
  if (escaped || single || double || backtick || dollar) return invalid;
  if (state === 'word') words.push(word);
  return { ok: true, words };
}

/** The words of a command line (see `readCommandLine`); what Compose would not run is left out. */
export function splitCommand(text: string): string[] {
  const read = readCommandLine(text);
  return read.ok ? read.words : [];
}
