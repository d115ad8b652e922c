package dev.stepwise.auth;

/** The answer to a successful login (API.md §2). */
public record LoginResponse(String accessToken, String tokenType, long expiresIn, UserInfo userInfo) {}
