/** The crash test's journal MAC key: fixed, so the test can check the MACs the killed process left behind. */
export const CRASH_MAC_KEY = Buffer.alloc(32, 0x5a);
