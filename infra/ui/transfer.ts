// Files in and out of a browser page: an upload that reports progress (XHR: fetch cannot report
// upload progress yet), and a download of text the page already has (Markdown, JSON, .ics).
import { ApiError } from './api.ts';

export function uploadWithProgress(
  path: string,
  file: Blob,
  onProgress: (fraction: number) => void,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: { error?: string; message?: string } | undefined;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body);
      } else {
        reject(
          new ApiError(
            xhr.status,
            body?.error ?? 'http_error',
            body?.message ?? `Quorum answered ${xhr.status}. Try again in a moment.`,
          ),
        );
      }
    };
    xhr.onerror = () =>
      reject(new ApiError(0, 'unreachable', 'The upload was interrupted. Check your connection.'));
    xhr.send(file);
  });
}

/** Saves text the page holds as a file, via a temporary object URL. */
export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
