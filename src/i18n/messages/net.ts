export const en = {} as const;

export const vi: Record<keyof typeof en, string> = {};
