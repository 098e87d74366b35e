package central

const workerEnv = "CUSTDESK_TEST_TERMINAL"

func terminalWorker() int { return 0 }
