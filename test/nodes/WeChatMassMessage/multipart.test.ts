import { parseMultipart } from '../../fake-wechat/multipart';
import { buildMultipartBody } from '../../../nodes/WeChatMassMessage/transport/multipart';

test('a multipart body carries the fields and the file bytes unchanged, and can be sent twice', () => {
	const data = Buffer.from([0, 1, 2, 255, 13, 10, 45, 45]);
	const { body, contentType } = buildMultipartBody({
		fieldName: 'media',
		fileName: 'cover "1".jpg',
		contentType: 'image/jpeg',
		data,
		fields: { description: '{"title":"t"}' },
	});
	expect(contentType).toMatch(/^multipart\/form-data; boundary=----n8nWeChatMass[0-9a-f]{24}$/);
	const parts = parseMultipart(body, contentType);
	expect(parts).toEqual([
		{ name: 'description', fileName: undefined, contentType: undefined, data: Buffer.from('{"title":"t"}') },
		{ name: 'media', fileName: 'cover _1_.jpg', contentType: 'image/jpeg', data },
	]);
	expect(Buffer.isBuffer(body)).toBe(true);
});
