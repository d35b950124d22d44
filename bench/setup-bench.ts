// Setup figures (filled in with the setup flow's end-to-end harness).
export async function setupFigures(_report: (figure: string, value: string) => void): Promise<void> {}
