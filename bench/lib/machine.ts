// The machine a benchmark ran on, as RESULTS.md records it.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
	date: string;
	nproc: number;
	cpuModel: string;
	memoryGiB: number;
	node: string;
	platform: string;
	/** 1, 5 and 15 minute load averages: other work on the machine shows here. */
	loadAverage: number[];
}

function cpuModelFromProc(): string | undefined {
	try {
		const line = readFileSync('/proc/cpuinfo', 'utf8')
			.split('\n')
			.find((entry) => entry.startsWith('model name'));
		return line?.split(':').slice(1).join(':').trim();
	} catch {
		return undefined;
	}
}

export function machineInfo(): MachineInfo {
	return {
		date: new Date().toISOString(),
		nproc: availableParallelism(),
		cpuModel: cpuModelFromProc() ?? cpus()[0]?.model ?? 'unknown',
		memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
		node: process.version,
		platform: `${process.platform} ${process.arch}`,
		loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
	};
}
