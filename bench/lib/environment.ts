// Settings every benchmark process needs before n8n-core is loaded: n8n-core writes its instance
// settings under N8N_USER_FOLDER on first use (keep them out of $HOME) and logs every node error.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-wechat-bench-'));
process.env.N8N_LOG_LEVEL ??= 'silent';
