import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes its instance settings under N8N_USER_FOLDER on first use: keep them out of $HOME.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-wechat-test-'));
// n8n-core logs every node error; the tests assert on them instead.
process.env.N8N_LOG_LEVEL ??= 'silent';
