/** An error the API answered with: its own message, to show to the person. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The ApiError a refused response carries (`{ error: { code, message } }`), or a plain one when it carries none. */
export async function apiError(res: Response): Promise<ApiError> {
  const body = await res.json().catch(() => null);
  return new ApiError(
    res.status,
    body?.error?.code ?? 'ERROR',
    body?.error?.message ?? `The server answered ${res.status}.`,
  );
}
