import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { CallbackAccount } from '../../helpers/wechatCallbackSigner';
import type { CallbackCredentialData } from '../../harness/webhook';

/** An account as WeChat's console would set it up (EncodingAESKey and AppID from WeChat's own samples). */
export const ACCOUNT: CallbackAccount = {
	appId: 'wxb11529c136998cb6',
	token: 'pamtest',
	encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
	originalId: 'gh_3f2a6b8c9d01',
};

export type FixtureName = 'finished-with-failures' | 'blocked-for-copyright' | 'subscribe' | 'publish-finished' | 'publish-failed';

export function readFixture(name: FixtureName): string {
	return readFileSync(join(__dirname, 'fixtures', `${name}.xml`), 'utf8');
}

export function credentialFor(account: CallbackAccount, encryptionMode: CallbackCredentialData['encryptionMode']): CallbackCredentialData {
	return { appId: account.appId, token: account.token, encryptionMode, encodingAesSecretKey: account.encodingAesKey };
}

/** The originality-check block the trigger gives for finished-with-failures.xml. */
export const FINISHED_COPYRIGHT_CHECK = {
	checkState: 2,
	checkStateMeaning: 'judged a reprint: sent',
	count: 2,
	articles: [
		{
			articleIdx: 1,
			userDeclareState: 0,
			auditState: 2,
			originalArticleUrl: 'https://mp.weixin.qq.com/s?__biz=MzA5&mid=1&idx=1',
			originalArticleType: 1,
			canReprint: true,
			needReplaceContent: true,
			needShowReprintSource: true,
		},
		{
			articleIdx: 2,
			userDeclareState: 0,
			auditState: 0,
			originalArticleUrl: null,
			originalArticleType: 0,
			canReprint: false,
			needReplaceContent: false,
			needShowReprintSource: false,
		},
	],
};
