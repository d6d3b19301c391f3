// Loads one API resource for a page: data, error (the server's sentence, and the failure itself
// for a page that says it its own way), and a reload.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../infra/ui/api.ts';

export function useApi<T>(path: string | null) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const reload = useCallback(async () => {
    if (!path) return;
    try {
      setData(await api<T>(path));
      setError(null);
      setFailure(null);
    } catch (e) {
      setError((e as Error).message);
      setFailure(e);
    }
  }, [path]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, failure, reload, setData };
}
