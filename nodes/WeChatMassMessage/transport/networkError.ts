const NETWORK_ERROR_WORDS: Record<string, string> = {
	ECONNRESET: 'connection reset',
	ECONNREFUSED: 'connection refused',
	ECONNABORTED: 'timed out',
	ETIMEDOUT: 'timed out',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'host name lookup failed',
	EPIPE: 'connection closed',
	ERR_CANCELED: 'stopped',
};

/**
 * A failed request's cause in words, not codes: n8n replaces an error message that contains a code
 * like ECONNREFUSED with its own ("The service refused the connection"), which hides what failed.
 */
export function describeNetworkError(error: unknown): string {
	let cause: unknown = error;
	for (let depth = 0; depth < 4 && cause instanceof Error; depth++) {
		const code = (cause as Error & { code?: unknown }).code;
		if (typeof code === 'string' && NETWORK_ERROR_WORDS[code]) return NETWORK_ERROR_WORDS[code];
		cause = cause.cause;
	}
	return 'network error';
}
