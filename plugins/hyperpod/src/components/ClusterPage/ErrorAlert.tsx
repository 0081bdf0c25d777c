/**
 * A failed call as the user should read it: the backend's own message (Backstage's error body),
 * led by what the status means (refused, not allowed, conflict), never just "Request failed".
 */
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type { ReactNode } from 'react';

export interface ErrorDescription {
  status?: number;
  message: string;
}

interface ResponseErrorLike {
  name?: string;
  message?: string;
  statusCode?: number;
  body?: { error?: { message?: string } };
  cause?: { message?: string };
}

/** The status and the server's message of a ResponseError; the message of anything else. */
export function describeError(error: unknown): ErrorDescription {
  if (error && typeof error === 'object') {
    const e = error as ResponseErrorLike;
    if (e.name === 'ResponseError') {
      return {
        ...(e.statusCode !== undefined ? { status: e.statusCode } : {}),
        message: e.body?.error?.message ?? e.cause?.message ?? e.message ?? 'request failed',
      };
    }
    if (typeof e.message === 'string') return { message: e.message };
  }
  return { message: String(error) };
}

const STATUS_WORDS: Record<number, string> = {
  400: 'Refused',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Too large',
  429: 'Too many requests',
};

/** `Not allowed (403)`, `Error (502)`, `Error`. */
export function statusWords(status?: number): string {
  if (status === undefined) return 'Error';
  return `${STATUS_WORDS[status] ?? 'Error'} (${status})`;
}

export function ErrorAlert(props: { title: string; error: unknown; action?: ReactNode }) {
  const { status, message } = describeError(props.error);
  return (
    <Alert severity="error" action={props.action}>
      <AlertTitle>{props.title}</AlertTitle>
      {statusWords(status)}: {message}
    </Alert>
  );
}
