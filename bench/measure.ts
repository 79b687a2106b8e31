import { spawn, spawnSync } from 'node:child_process';

/** Measured is one command's wall time, peak resident memory and, where known, its CPU time. */
export interface Measured {
  seconds: number;
  peakRssMiB: number;
  stdout: string;
  /** User plus system CPU seconds of the command and its children (GNU time's %U + %S). */
  cpuSeconds?: number;
}

/**
 * measure runs a command under GNU time, which reports the peak RSS of the process
 * (the kernel's own figure, not a sample), and fails if the command fails. It first
 * writes out the page cache's dirty pages (`sync`): a row that wrote a gigabyte would
 * otherwise have the next row pay for writing it back.
 */
export function measure(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Measured> {
  spawnSync('sync');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '__PEAK_KB__%M __CPU__%U %S', command, ...args], { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const peak = /__PEAK_KB__(\d+)/.exec(stderr);
      const cpu = /__CPU__([\d.]+) ([\d.]+)/.exec(stderr);
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      resolve({ seconds, peakRssMiB: peak ? Number(peak[1]) / 1024 : NaN, stdout, ...(cpu ? { cpuSeconds: Number(cpu[1]) + Number(cpu[2]) } : {}) });
    });
  });
}

/** row is one line of the printed table: name, seconds, peak RSS, a note (NaN shows as -). */
export function row(name: string, m: Measured, extra = ''): string[] {
  return [name, Number.isNaN(m.seconds) ? '-' : m.seconds.toFixed(2), Number.isNaN(m.peakRssMiB) ? '-' : m.peakRssMiB.toFixed(0), extra];
}
