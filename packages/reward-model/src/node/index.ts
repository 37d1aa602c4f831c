/** `@arbiter/reward-model/node`: Node only (node:worker_threads). */
export { stopTrainingThread, trainRewardModelInThread, TrainingThreadError } from "./train-in-thread.ts";
