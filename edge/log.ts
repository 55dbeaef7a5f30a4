// One line per event: `<time> <level> <event> key=value … message` for people, or one JSON
// object per line with `--log-format json` for machines. The level follows the configuration's
// logLevel (Debug, Information, Warning, Error, None).
export type LogLevel = 'Debug' | 'Information' | 'Warning' | 'Error' | 'None';
const RANK: Record<LogLevel, number> = { Debug: 0, Information: 1, Warning: 2, Error: 3, None: 4 };
const SHORT: Record<Exclude<LogLevel, 'None'>, string> = { Debug: 'debug', Information: 'info', Warning: 'warn', Error: 'error' };

export type Fields = Record<string, string | number | boolean | null | undefined>;

export class Logger {
  level: LogLevel = 'Information';
  constructor(
    readonly format: 'text' | 'json' = 'text',
    private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  private emit(level: Exclude<LogLevel, 'None'>, event: string, message: string, fields: Fields) {
    if (RANK[level] < RANK[this.level]) return;
    const time = new Date().toISOString();
    if (this.format === 'json') {
      this.write(JSON.stringify({ time, level: SHORT[level], event, msg: message, ...fields }));
      return;
    }
    const pairs = Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === 'string' && /[\s"=]/.test(v) ? JSON.stringify(v) : v}`);
    this.write([time, SHORT[level], event, ...pairs, message].filter(Boolean).join(' '));
  }

  debug(event: string, message = '', fields: Fields = {}) {
    this.emit('Debug', event, message, fields);
  }
  info(event: string, message = '', fields: Fields = {}) {
    this.emit('Information', event, message, fields);
  }
  warn(event: string, message = '', fields: Fields = {}) {
    this.emit('Warning', event, message, fields);
  }
  error(event: string, message = '', fields: Fields = {}) {
    this.emit('Error', event, message, fields);
  }
}
