import { Authorized, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { ERROR_CODE_DESCRIPTIONS, ErrorCodeEnum } from '../error-codes.js';

@ObjectType('ErrorCodeInfo', { description: 'An error code a client can receive, and what to do about it.' })
class ErrorCodeInfo {
  @Field(() => ErrorCodeEnum, { description: 'The value of `errors[].extensions.code`.' }) code!: string;
  @Field(() => String, { description: 'What it means and what to do.' }) description!: string;
}

/** The public error codes, from the one table in src/graphql/error-codes.ts. */
@Authorized()
@Resolver()
export class ErrorCodeResolver {
  @Query(() => [ErrorCodeInfo], { description: 'Every error code the API returns in `errors[].extensions.code`, with what to do about it.' })
  errorCodes(): ErrorCodeInfo[] {
    return Object.entries(ERROR_CODE_DESCRIPTIONS).map(([code, description]) => ({ code, description }));
  }
}
