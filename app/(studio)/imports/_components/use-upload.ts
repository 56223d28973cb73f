"use client";

import { useCallback, useRef, useState } from "react";
import { getJson } from "./keys";

export type TUploadState =
  | { status: "idle" }
  | { status: "uploading"; id: string | null; sent: number; size: number; fileName: string }
  | { status: "done"; id: string; size: number; fileName: string }
  | { status: "error"; message: string };

/**
 * Sends a file in chunks (each PUT carries the bytes at its offset; the server streams them to
 * disk), so a multi-gigabyte file never sits in memory on either side. A failed chunk is retried
 * a few times, after a pause, from the offset the server reports.
 */
export function useUpload() {
  const [state, setState] = useState<TUploadState>({ status: "idle" });
  const cancelled = useRef(false);

  const upload = useCallback(async (file: File) => {
    cancelled.current = false;
    setState({ status: "uploading", id: null, sent: 0, size: file.size, fileName: file.name });
    try {
      const { id, chunkBytes } = await getJson<{ id: string; chunkBytes: number }>("/api/v1/uploads", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ fileName: file.name, size: file.size }),
      });
      let offset = 0;
      let failures = 0;
      while (offset < file.size) {
        if (cancelled.current) throw new Error("upload cancelled");
        const chunk = file.slice(offset, Math.min(file.size, offset + chunkBytes));
        try {
          const result = await getJson<{ received: number }>(`/api/v1/uploads/${id}?offset=${offset}`, { method: "PUT", body: chunk });
          offset = result.received;
          failures = 0;
        } catch (error) {
          if (++failures > 3) throw error;
          // A moment (a server restarting, a network coming back), then resume where the server
          // says the file ends; a PUT of the dropped chunk still running there gives way to this one.
          await new Promise((resolve) => setTimeout(resolve, 500 * failures));
          offset = (await getJson<{ received: number }>(`/api/v1/uploads/${id}`)).received;
        }
        setState({ status: "uploading", id, sent: offset, size: file.size, fileName: file.name });
      }
      setState({ status: "done", id, size: file.size, fileName: file.name });
    } catch (error) {
      setState({ status: "error", message: (error as Error).message });
    }
  }, []);

  const cancel = useCallback(() => {
    cancelled.current = true;
  }, []);
  const reset = useCallback(() => setState({ status: "idle" }), []);
  return { state, upload, cancel, reset };
}
