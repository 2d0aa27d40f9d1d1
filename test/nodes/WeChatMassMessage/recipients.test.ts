import { invalidOpenIds, parseOpenIdList, splitEvenly } from '../../../nodes/WeChatMassMessage/helpers/recipients';

const openId = (n: number) => `o${String(n).padStart(27, '0')}`;

test('OpenID lists come as arrays or text separated by commas, semicolons or new lines; blanks and repeats go', () => {
	expect(parseOpenIdList(`${openId(1)}, ${openId(2)}\n${openId(3)};${openId(1)}\n\n`)).toEqual([openId(1), openId(2), openId(3)]);
	expect(parseOpenIdList([openId(1), [openId(2)], ` ${openId(1)} `])).toEqual([openId(1), openId(2)]);
	expect(parseOpenIdList(undefined)).toEqual([]);
	expect(parseOpenIdList('')).toEqual([]);
});

test('an OpenID is 28 letters, digits, - or _', () => {
	expect(invalidOpenIds([openId(1), 'oABC-_defghijklmnopqrstuvwxy', 'short', `${openId(1)}x`, 'o@cdefghijklmnopqrstuvwxyz12'])).toEqual([
		'short',
		`${openId(1)}x`,
		'o@cdefghijklmnopqrstuvwxyz12',
	]);
});

describe('splitting into sends of at most 10,000, as evenly as possible', () => {
	const sizes = (count: number) => splitEvenly(Array.from({ length: count }, (_, i) => i)).map((chunk) => chunk.length);

	test.each([
		[2, [2]],
		[10000, [10000]],
		[10001, [5001, 5000]],
		[20000, [10000, 10000]],
		[25000, [8334, 8333, 8333]],
		[1000000, Array(100).fill(10000)],
	])('%i → %j', (count, expected) => {
		expect(sizes(count)).toEqual(expected);
	});

	test('keeps every value once, in order', () => {
		const values = Array.from({ length: 30001 }, (_, i) => i);
		expect(splitEvenly(values).flat()).toEqual(values);
	});
});
