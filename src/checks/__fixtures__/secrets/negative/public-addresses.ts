// Public identifiers named after a token: an ERC-20 contract's address gives access to nothing.
const BeeTokenAddress = '0x36435796Ca9be2bf150CE0dECc2D8Fab5C4d6E13';
const tokenContractAddr = '0x6B175474E89094C44Da98b954EedeAC495271d0F';
export { BeeTokenAddress, tokenContractAddr };
