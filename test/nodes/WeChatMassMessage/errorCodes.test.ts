import { TOKEN_ERROR_CODES, explainErrcode } from '../../../nodes/WeChatMassMessage/transport/errorCodes';

test.each([
	-1, 40001, 40003, 40007, 40013, 40014, 40059, 40125, 40130, 40132, 40152, 40164, 41001, 42001, 45009, 45028, 45065, 45066, 45067, 45083,
	45084, 45113, 48001, 89504, 89505,
])('errcode %i is explained in words a WeChat operator can act on', (errcode) => {
	expect(explainErrcode(errcode)).toMatch(/^[A-Z].{20,}\.$/);
});

test('only token errors trigger a token refresh', () => {
	expect([...TOKEN_ERROR_CODES].sort()).toEqual([40001, 40014, 41001, 42001]);
	expect(explainErrcode(12345)).toBeUndefined();
});
